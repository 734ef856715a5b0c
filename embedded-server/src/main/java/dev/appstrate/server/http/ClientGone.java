package dev.appstrate.server.http;

import java.io.IOException;
import java.io.OutputStream;

/** What a stream writer sees for a HEAD request: a client that is already gone. */
final class ClientGone extends OutputStream {
    @Override
    public void write(int b) throws IOException {
        throw new IOException("HEAD request: no body is sent");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("HEAD request: no body is sent");
    }
}
