package io.sightline.api.params;

/** A parameter that does not parse; {@link #getMessage()} is {@code invalid parameter "name": problem}. */
public final class InvalidParameterException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidParameterException(String name, String problem) {
    super("invalid parameter \"" + name + "\": " + problem);
  }
}
