package io.ringcache.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's configuration and statistics MXBeans in the platform MBean server under
 * the names JSR-107's "Management" chapter gives:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>},
 * with {@code , : = "} and newlines in the URI and name replaced by dots.
 *
 * <p>Failure: registering a name that is already registered (a second manager with the same URI
 * in another class loader) keeps the first; unregistering a missing name does nothing.
 */
final class MBeans {

  enum Kind {
    CONFIGURATION("CacheConfiguration"), STATISTICS("CacheStatistics");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private MBeans() {}

  static ObjectName name(Kind kind, String managerUri, String cacheName) {
    String text = "javax.cache:type=" + kind.type + ",CacheManager=" + safe(managerUri)
        + ",Cache=" + safe(cacheName);
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("illegal MBean name '" + text + "'", e);
    }
  }

  static String safe(String s) {
    return s == null ? "" : s.replaceAll("[,:=\n\"]", ".");
  }

  static void register(Object bean, ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // registered by another manager between the check and here: keep that one
    } catch (JMException e) {
      throw new CacheException("cannot register MBean " + name, e);
    }
  }

  static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // unregistered concurrently: the goal is reached
    } catch (JMException e) {
      throw new CacheException("cannot unregister MBean " + name, e);
    }
  }
}
