package io.sightline.rules.template;

import java.util.TreeMap;

/**
 * What {@code args} returns: Go's {@code map[string]interface{}}, whose missing keys are nil
 * ({@code <no value>}), unlike a label map's empty string.
 */
final class ArgsMap extends TreeMap<String, Object> {
  private static final long serialVersionUID = 1L;
}
