package io.ringcache.jcache;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** The JCache configuration MXBean of one cache (JSR-107 "Management"), read live. */
final class ConfigurationBean implements CacheMXBean {

  private final RingcacheCache<?, ?> cache;

  ConfigurationBean(RingcacheCache<?, ?> cache) {
    this.cache = cache;
  }

  @SuppressWarnings("unchecked")
  private CompleteConfiguration<?, ?> config() {
    return cache.getConfiguration(CompleteConfiguration.class);
  }

  @Override
  public String getKeyType() {
    return config().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return config().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return config().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return config().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return config().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return config().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return config().isManagementEnabled();
  }
}
