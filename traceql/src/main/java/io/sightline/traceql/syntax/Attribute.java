package io.sightline.traceql.syntax;

/**
 * An attribute reference or an intrinsic field. For intrinsics {@code name} is the printed name and {@code scope} is
 * {@link Scope#NONE}, as Tempo builds them, so {@code span:duration} and {@code duration} are the same attribute.
 */
public record Attribute(Scope scope, boolean parent, String name, Intrinsic intrinsic) implements FieldExpr {

  public static Attribute of(Scope scope, boolean parent, String name) {
    Intrinsic intrinsic = scope == Scope.NONE && !parent ? Intrinsic.fromUnscopedName(name) : null;
    return new Attribute(scope, parent, name, intrinsic);
  }

  public static Attribute intrinsic(Intrinsic intrinsic) {
    return new Attribute(Scope.NONE, false, intrinsic.printed(), intrinsic);
  }

  public boolean isIntrinsic() {
    return intrinsic != null;
  }
}
