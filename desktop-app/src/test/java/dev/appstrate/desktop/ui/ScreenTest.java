package dev.appstrate.desktop.ui;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * A test of the app's screens on TestFX's primary stage, which every such class shares: before each test (after its
 * {@code @Start}) the stage is put back to {@link KnownWindowSize}, so no size set by an earlier class leaks in.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({ApplicationExtension.class, KnownWindowSize.class})
public @interface ScreenTest {
}
