package loopbench.core;

import java.util.function.Consumer;

/**
 * A non-native thenable: any object with a {@code then(resolve, reject)}. Resolving a promise with
 * one costs a PromiseResolveThenableJob (ECMA-262 27.2.2.2), as it does in JavaScript.
 */
public interface Thenable {
    void then(Consumer<Object> resolve, Consumer<Object> reject) throws Throwable;
}
