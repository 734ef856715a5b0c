package dev.appstrate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.appstrate.server.logging.RedactingLogEncoder;
import dev.appstrate.server.logging.Redactor;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Configures logback in code: XML parsing and the pattern layout cost a noticeable part of a sub-second boot. */
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext lc) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(lc);
        console.setName("console");
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(lc);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
        enc.setContext(lc);
        enc.setLayout(layout);
        enc.setCharset(StandardCharsets.UTF_8);
        enc.start();
        // safety net: every known secret value is masked in the finished line
        console.setEncoder(new RedactingLogEncoder(enc, Redactor.global()));
        console.start();
        ch.qos.logback.classic.Logger root = lc.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        lc.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        lc.getLogger("com.github.dockerjava").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Applies LOG_LEVEL (debug, info, warn, error) to our own loggers and the root. */
    public static void level(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext lc) {
            Level l = Level.toLevel(level, Level.INFO);
            lc.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(l);
            lc.getLogger("org.eclipse.jetty").setLevel(l.isGreaterOrEqual(Level.WARN) ? l : Level.WARN);
        }
    }
}
