package io.ringcache.spring.tck;

import javax.cache.annotation.BeanProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The JCache TCK's hook for its annotation tests ({@code org.jsr107.tck.annotation}), found by
 * {@code ServiceLoader}: beans come from a Spring context of {@link TckConfiguration}, so the
 * TCK's {@code @CacheResult} / {@code @CacheRemove} / {@code @CacheRemoveAll} run through
 * Spring's JSR-107 support over ringcache. Without a provider the TCK skips those tests' bodies
 * and counts them as passed.
 */
public final class SpringBeanProvider implements BeanProvider {

  /** One context per JVM (the holder idiom), closed at exit after the cluster's last use. */
  private static final class Holder {
    static final AnnotationConfigApplicationContext CONTEXT = start();

    private static AnnotationConfigApplicationContext start() {
      AnnotationConfigApplicationContext context =
          new AnnotationConfigApplicationContext(TckConfiguration.class);
      context.registerShutdownHook();
      return context;
    }
  }

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return Holder.CONTEXT.getBean(beanClass);
  }
}
