package io.ringcache.node.store;

/**
 * A live value as the store holds it, for answering a read without copying: {@code length} bytes
 * of {@code array} from {@code offset}. The array is the stored entry itself ({@link
 * StoredEntry}): never write to it; keep it only while answering.
 *
 * @param ttlMillis remaining time to live, rounded up, or {@link ReplicaEntry#NO_TTL}
 */
public record StoredValue(byte[] array, int offset, int length, long version, long ttlMillis) {}
