package dev.appstrate.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Logback safety net: wraps the real encoder and masks every secret value the process knows in the
 * finished line (message, arguments and stack traces alike).
 */
public final class RedactingLogEncoder extends EncoderBase<ILoggingEvent> {
    private final Encoder<ILoggingEvent> delegate;
    private final Redactor redactor;

    public RedactingLogEncoder(Encoder<ILoggingEvent> delegate, Redactor redactor) {
        this.delegate = delegate;
        this.redactor = redactor;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] raw = delegate.encode(event);
        if (raw == null) {
            return null;
        }
        String line = new String(raw, StandardCharsets.UTF_8);
        String clean = redactor.redact(line);
        return clean == line ? raw : clean.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void start() {
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }
}
