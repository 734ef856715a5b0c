package dev.appstrate.server.http;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/** One file field of a {@code multipart/form-data} body, parsed by Jetty's parser from the bytes already read. */
public final class Multipart {
    /** The uploaded file: its bytes and the name the client gave it. */
    public record FilePart(String fileName, byte[] bytes) {
    }

    private Multipart() {
    }

    public static FilePart file(ApiRequest req, String field) {
        String type = req.header("Content-Type");
        String boundary = type == null ? null : MultiPart.extractBoundary(type);
        if (type == null || !type.toLowerCase().startsWith("multipart/form-data") || boundary == null) {
            throw ApiException.invalidRequest("Expected a multipart/form-data body with a '" + field + "' file field",
                    "Content-Type");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(10);
        // the size of the file itself is the package reader's to judge, with its own error
        parser.setMaxFileSize(-1);
        // everything is already in memory (the request body), so parts must never spill to disk
        parser.setMaxMemoryFileSize(-1);
        parser.setMaxLength(req.body().length + 1L);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(Content.Source.from(ByteBuffer.wrap(req.body()))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw ApiException.invalidRequest("The multipart body could not be read: " + e.getCause().getMessage(), field);
        } catch (TimeoutException e) {
            throw ApiException.invalidRequest("The multipart body could not be read", field);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.invalidRequest("Interrupted while reading the multipart body", field);
        }
        try (parts) {
            MultiPart.Part part = parts.getFirst(field);
            if (part == null) {
                throw ApiException.validation(field, "required", "A '" + field + "' file field is required");
            }
            ByteBuffer buf = Content.Source.asByteBuffer(part.getContentSource());
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            return new FilePart(part.getFileName(), bytes);
        } catch (java.io.IOException e) {
            throw ApiException.invalidRequest("The multipart body could not be read", field);
        }
    }
}
