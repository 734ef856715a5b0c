package dev.appstrate.server.tenancy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local administrator's bearer credential: APPSTRATE_OWNER_TOKEN when set, else generated on
 * first boot into DATA_DIR/owner-token (owner-only). Its path is logged, never its value.
 */
public final class OwnerCredential {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerCredential.class);
    public static final String FILE_NAME = "owner-token";
    private final byte[] token;

    private OwnerCredential(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static OwnerCredential load(Path dataDir, Optional<String> fromEnv) {
        if (fromEnv.isPresent()) {
            LOG.info("Owner credential: from APPSTRATE_OWNER_TOKEN");
            return new OwnerCredential(fromEnv.get());
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String t = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!t.isEmpty()) {
                    LOG.info("Owner credential: path={}", file);
                    return new OwnerCredential(t);
                }
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String t = "aso_" + HexFormat.of().formatHex(raw);
            Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, t + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Owner credential generated: path={} (send it as Authorization: Bearer <token>)", file);
            return new OwnerCredential(t);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the owner credential at " + file + ": " + e.getMessage(), e);
        }
    }

    /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
