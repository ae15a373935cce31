package io.ringcache.client;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ValueCodec#json(Class)}: a record as a JSON object, written and read with Vert.x's JSON
 * types (kept internal; no JSON library reaches the public API).
 *
 * <h2>Design</h2>
 * The record's components are inspected once, at construction, and every component type checked
 * recursively, so an unsupported type fails when the codec is made, not on the first value.
 * Encoding reads each component through its accessor; decoding calls the canonical constructor, so
 * a record's own validation runs on decoded values. {@code BigDecimal} and {@code BigInteger} are
 * written as strings to keep their precision; {@code Instant} as ISO-8601. Unknown JSON properties
 * are ignored and missing ones decode as null (which a primitive component refuses), so adding a
 * nullable component stays compatible with values already stored.
 */
final class RecordJsonCodec<R extends Record> implements ValueCodec<R> {

  private final Class<R> type;

  RecordJsonCodec(Class<R> type) {
    if (type == null || !type.isRecord()) {
      throw new IllegalArgumentException(String.format(
          "ValueCodec.json needs a record class, got %s", type));
    }
    this.type = type;
    check(type, type.getName(), new HashSet<>());
  }

  @Override
  public byte[] encode(R value) {
    return toObject(value).toBuffer().getBytes();
  }

  @Override
  public R decode(byte[] bytes) {
    JsonObject json;
    try {
      json = new JsonObject(Buffer.buffer(bytes));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.format(
          "value of %d bytes is not a JSON object for %s: %s", bytes.length, type.getSimpleName(),
          e.getMessage()), e);
    }
    return type.cast(fromObject(json, type));
  }

  // ------------------------------------------------------------------ type check

  private static void check(Type t, String path, Set<Class<?>> seen) {
    Class<?> raw = raw(t);
    if (isScalar(raw)) {
      return;
    }
    if (raw.isRecord()) {
      if (!seen.add(raw)) {
        return;
      }
      for (RecordComponent c : raw.getRecordComponents()) {
        check(c.getGenericType(), path + "." + c.getName(), seen);
      }
      return;
    }
    if (raw == List.class || raw == Set.class || raw == Collection.class) {
      check(argument(t, 0, path), path + "[]", seen);
      return;
    }
    if (raw == Map.class) {
      if (argument(t, 0, path) != String.class) {
        throw new IllegalArgumentException(String.format(
            "%s is a Map whose keys are not String; JSON object keys are strings", path));
      }
      check(argument(t, 1, path), path + "{}", seen);
      return;
    }
    throw new IllegalArgumentException(String.format(
        "%s has type %s, which ValueCodec.json does not support (String, primitives and boxes,"
            + " BigDecimal, BigInteger, enums, Instant, records, List, Set, Map<String, ?>)",
        path, t.getTypeName()));
  }

  private static boolean isScalar(Class<?> c) {
    return c.isPrimitive() || c == String.class || c == Boolean.class || c == Integer.class
        || c == Long.class || c == Double.class || c == Float.class || c == Short.class
        || c == Byte.class || c == Character.class || c == BigDecimal.class
        || c == BigInteger.class || c == Instant.class || c.isEnum();
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported type " + t.getTypeName()
        + " (wildcards and type variables cannot be decoded)");
  }

  private static Type argument(Type t, int index, String path) {
    if (t instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    throw new IllegalArgumentException(path + " is a raw " + t.getTypeName()
        + "; give its element type");
  }

  // ------------------------------------------------------------------ encode

  private static JsonObject toObject(Record value) {
    JsonObject out = new JsonObject(new LinkedHashMap<>());
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      out.put(c.getName(), toJson(read(c, value)));
    }
    return out;
  }

  private static Object read(RecordComponent c, Record value) {
    try {
      Method accessor = c.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(value);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read component " + c.getName() + " of "
          + value.getClass().getName(), e);
    }
  }

  private static Object toJson(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer
        || v instanceof Long || v instanceof Double || v instanceof Float) {
      return v;
    }
    if (v instanceof Short || v instanceof Byte) {
      return ((Number) v).intValue();
    }
    if (v instanceof Character || v instanceof BigDecimal || v instanceof BigInteger
        || v instanceof Instant) {
      return v.toString();
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    if (v instanceof Record r) {
      return toObject(r);
    }
    if (v instanceof Collection<?> c) {
      JsonArray a = new JsonArray(new ArrayList<>(c.size()));
      for (Object o : c) {
        a.add(toJson(o));
      }
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject(new LinkedHashMap<>());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        o.put((String) e.getKey(), toJson(e.getValue()));
      }
      return o;
    }
    throw new IllegalArgumentException("cannot encode " + v.getClass().getName());
  }

  // ------------------------------------------------------------------ decode

  private static Object fromObject(JsonObject json, Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = fromJson(json.getValue(c.getName()), c.getGenericType(),
          record.getSimpleName() + "." + c.getName());
    }
    try {
      Constructor<?> ctor = record.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r
          : new IllegalArgumentException("cannot build " + record.getName(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + record.getName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object fromJson(Object json, Type t, String path) {
    Class<?> raw = raw(t);
    if (json == null) {
      if (raw.isPrimitive()) {
        throw new IllegalArgumentException(path + " is missing or null but has type " + raw);
      }
      return null;
    }
    try {
      if (raw == String.class) {
        return (String) json;
      }
      if (raw == int.class || raw == Integer.class) {
        return ((Number) json).intValue();
      }
      if (raw == long.class || raw == Long.class) {
        return ((Number) json).longValue();
      }
      if (raw == double.class || raw == Double.class) {
        return ((Number) json).doubleValue();
      }
      if (raw == float.class || raw == Float.class) {
        return ((Number) json).floatValue();
      }
      if (raw == short.class || raw == Short.class) {
        return ((Number) json).shortValue();
      }
      if (raw == byte.class || raw == Byte.class) {
        return ((Number) json).byteValue();
      }
      if (raw == boolean.class || raw == Boolean.class) {
        return (Boolean) json;
      }
      if (raw == char.class || raw == Character.class) {
        String s = (String) json;
        if (s.length() != 1) {
          throw new IllegalArgumentException(path + " is \"" + s + "\", not one character");
        }
        return s.charAt(0);
      }
      if (raw == BigDecimal.class) {
        return new BigDecimal(json.toString());
      }
      if (raw == BigInteger.class) {
        return new BigInteger(json.toString());
      }
      if (raw == Instant.class) {
        return Instant.parse((String) json);
      }
      if (raw.isEnum()) {
        return Enum.valueOf((Class<Enum>) raw, (String) json);
      }
      if (raw.isRecord()) {
        return fromObject((JsonObject) json, raw);
      }
      if (raw == List.class || raw == Collection.class || raw == Set.class) {
        Type element = argument(t, 0, path);
        Collection<Object> out = raw == Set.class ? new LinkedHashSet<>() : new ArrayList<>();
        for (Object o : (JsonArray) json) {
          out.add(fromJson(o, element, path + "[]"));
        }
        return raw == Set.class ? Collections.unmodifiableSet((Set<Object>) out)
            : Collections.unmodifiableList((List<Object>) out);
      }
      if (raw == Map.class) {
        Type valueType = argument(t, 1, path);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : (JsonObject) json) {
          out.put(e.getKey(), fromJson(e.getValue(), valueType, path + "." + e.getKey()));
        }
        return Collections.unmodifiableMap(out);
      }
    } catch (ClassCastException | DateTimeParseException
        | NumberFormatException e) {
      throw new IllegalArgumentException(String.format("%s: cannot read %s as %s", path,
          json.getClass().getSimpleName(), t.getTypeName()), e);
    }
    throw new IllegalArgumentException(path + ": unsupported type " + t.getTypeName());
  }
}
