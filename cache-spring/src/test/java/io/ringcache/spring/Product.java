package io.ringcache.spring;

import java.io.Serializable;

/**
 * A catalog entry. Serializable because ringcache's JCache provider stores values by Java
 * serialization unless a codec is configured: the value travels to the nodes.
 */
public record Product(String id, String name, long priceCents) implements Serializable {
}
