package loopbench.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A test run once per runtime found on the class path ({@link loopbench.core.EventLoops}), given
 * the runtime's name: {@code @AllRuntimes void x(String runtime)}. A new runtime module on a test's
 * class path is tested with no edit to the test.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@ArgumentsSource(RuntimesFromRegistry.class)
public @interface AllRuntimes {}
