package dev.keyward.common;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Stand-ins for Keycloak's interfaces in unit tests: a proxy that answers the methods it is given
 * by name and everything else with an empty value (false, 0, null, an empty stream), or with
 * itself when the method returns its own type (builders). Small on purpose: a test names exactly
 * what the code under test may ask.
 */
public final class Fakes {
    private Fakes() {}

    /** Builds the answers of one fake. */
    public static final class Answers {
        private final Map<String, Function<Object[], Object>> byName = new HashMap<>();

        /** Answers every call of {@code method} with {@code answer} applied to its arguments. */
        public Answers on(String method, Function<Object[], Object> answer) {
            byName.put(method, answer);
            return this;
        }

        /** Answers every call of {@code method} with {@code value}. */
        public Answers returning(String method, Object value) {
            return on(method, args -> value);
        }
    }

    public static Answers answers() {
        return new Answers();
    }

    public static <T> T of(Class<T> type, Answers answers) {
        Object proxy =
                Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
                    Object[] a = args == null ? new Object[0] : args;
                    Function<Object[], Object> answer = answers.byName.get(method.getName());
                    if (answer != null) {
                        Object result = answer.apply(a);
                        // a builder's setter answered for its effect: the chain goes on
                        return result == null && method.getReturnType().isInstance(self) ? self : result;
                    }
                    return switch (method.getName()) {
                        case "equals" -> self == a[0];
                        case "hashCode" -> System.identityHashCode(self);
                        case "toString" -> "fake " + type.getSimpleName();
                        default -> empty(self, method);
                    };
                });
        return type.cast(proxy);
    }

    private static Object empty(Object self, Method method) {
        Class<?> r = method.getReturnType();
        if (r.isInstance(self)) {
            return self;
        }
        if (r == boolean.class) {
            return false;
        }
        if (r == int.class || r == short.class || r == byte.class) {
            return 0;
        }
        if (r == long.class) {
            return 0L;
        }
        if (r == double.class || r == float.class) {
            return 0.0;
        }
        if (r == Stream.class) {
            return Stream.empty();
        }
        if (r == Optional.class) {
            return Optional.empty();
        }
        if (r == List.class) {
            return List.of();
        }
        if (r == Set.class) {
            return Set.of();
        }
        if (r == Map.class) {
            return Map.of();
        }
        return null;
    }
}
