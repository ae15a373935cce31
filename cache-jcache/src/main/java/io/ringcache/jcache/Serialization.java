package io.ringcache.jcache;

import io.ringcache.client.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import javax.cache.CacheException;

/**
 * Java serialization as a {@link ValueCodec}: the default form of JCache values (and of keys
 * that are not strings or numbers). Classes resolve through the CacheManager's class loader, as
 * JSR-107's "Class Loading" section asks, falling back to the thread's context loader.
 *
 * <p>Design: serializing on every write and deserializing on every read is also what gives
 * store-by-value semantics (JSR-107 "Store-By-Value and Store-By-Reference"): the caller never shares an instance with the
 * cache.
 *
 * <p>Failure: a value that is not serializable fails the call with an
 * {@link IllegalArgumentException} naming its class (JCache's "a value of the wrong kind");
 * bytes that cannot be read fail with a {@link CacheException}.
 */
final class Serialization<V> implements ValueCodec<V> {

  private final ClassLoader classLoader;

  Serialization(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public byte[] encode(V value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(String.format(
          "%s is not Serializable; a store-by-value cache needs Serializable keys and values"
              + " (or a ValueCodec)", value.getClass().getName()), e);
    } catch (IOException e) {
      throw new CacheException("cannot serialize a " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  @Override
  @SuppressWarnings("unchecked")
  public V decode(byte[] bytes) {
    try (ObjectInputStream in = new LoaderObjectInputStream(
        new ByteArrayInputStream(bytes), classLoader)) {
      return (V) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new CacheException(String.format(
          "cannot deserialize %d bytes: %s", bytes.length, e), e);
    }
  }

  /** Resolves classes through the manager's loader first. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != loader) {
          try {
            return Class.forName(desc.getName(), false, context);
          } catch (ClassNotFoundException ignored) {
            // fall through to the default resolution below
          }
        }
        return super.resolveClass(desc);
      }
    }
  }
}
