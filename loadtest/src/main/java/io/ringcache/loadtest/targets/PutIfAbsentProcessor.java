package io.ringcache.loadtest.targets;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * {@code putIfAbsent} as an entry processor, because Hazelcast 5.6's {@code IMap} has no
 * asynchronous {@code putIfAbsent}: {@code submitToKey} runs it on the key's partition thread of
 * the owner (and, as its own backup processor, on the backups), one round trip like the native
 * operation. The member must be able to load this class: {@code HazelcastCluster} starts members
 * with the load test's classpath.
 *
 * <p>{@link DataSerializable} rather than Java serialization keeps the request to the class name
 * and the value bytes.
 */
public final class PutIfAbsentProcessor
    implements EntryProcessor<String, byte[], Boolean>, DataSerializable {

  private byte[] value;

  /** For deserialization on the member. */
  public PutIfAbsentProcessor() {}

  PutIfAbsentProcessor(byte[] value) {
    this.value = value;
  }

  @Override
  public Boolean process(Map.Entry<String, byte[]> entry) {
    if (entry.getValue() != null) {
      return Boolean.FALSE;
    }
    entry.setValue(value);
    return Boolean.TRUE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(value);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    value = in.readByteArray();
  }
}
