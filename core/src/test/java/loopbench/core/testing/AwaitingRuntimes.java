package loopbench.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Like {@link AllRuntimes}, over the runtimes whose {@code await} parks the body
 * ({@link loopbench.core.EventLoopProvider#canAwait}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@ArgumentsSource(RuntimesFromRegistry.class)
public @interface AwaitingRuntimes {}
