package dev.appstrate.server.secrets;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM envelopes in the original's wire format: {@code v1:<kid>:<base64(iv ‖ tag ‖ ciphertext)>},
 * 12-byte random IV, 16-byte tag, standard base64, no AAD. Java's GCM output is ciphertext ‖ tag,
 * so the tag is moved in front on the way out and back on the way in.
 */
public final class SecretBox {
    static final String VERSION = "v1";
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing ring;

    public SecretBox(KeyRing ring) {
        this.ring = ring;
    }

    public KeyRing keyRing() {
        return ring;
    }

    /** Encrypts with the active key. */
    public String encrypt(String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, ring.key(ring.activeKid()), new GCMParameterSpec(TAG_BYTES * 8, iv));
            sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new SecretException("Encryption failed: " + e.getClass().getSimpleName(), e);
        }
        int ctLen = sealed.length - TAG_BYTES;
        byte[] packed = new byte[IV_BYTES + sealed.length];
        System.arraycopy(iv, 0, packed, 0, IV_BYTES);
        System.arraycopy(sealed, ctLen, packed, IV_BYTES, TAG_BYTES);
        System.arraycopy(sealed, 0, packed, IV_BYTES + TAG_BYTES, ctLen);
        return VERSION + ":" + ring.activeKid() + ":" + Base64.getEncoder().encodeToString(packed);
    }

    /** Opens an envelope with the key its kid names. */
    public String decrypt(String envelope) {
        String kid = kidOf(envelope);
        byte[] packed;
        try {
            packed = Base64.getDecoder().decode(envelope.substring(VERSION.length() + 1 + kid.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretException("Invalid v1 envelope: the payload is not base64");
        }
        // key first: whatever the payload looks like, an unknown kid is a key-ring gap
        var key = ring.key(kid);
        if (packed.length < IV_BYTES + TAG_BYTES) {
            throw new SecretException("Invalid encrypted data: too short");
        }
        int ctLen = packed.length - IV_BYTES - TAG_BYTES;
        byte[] sealed = new byte[ctLen + TAG_BYTES];
        System.arraycopy(packed, IV_BYTES + TAG_BYTES, sealed, 0, ctLen);
        System.arraycopy(packed, IV_BYTES, sealed, ctLen, TAG_BYTES);
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, packed, 0, IV_BYTES));
            plain = c.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new SecretException("Invalid encrypted data: integrity check failed — the key registered for kid '"
                    + kid + "' is not the key this value was encrypted with, or the value was altered");
        } catch (GeneralSecurityException e) {
            throw new SecretException("Decryption failed: " + e.getClass().getSimpleName(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new SecretException("Invalid encrypted data: plaintext is not UTF-8");
        }
    }

    /** The key id an envelope names, after checking its shape. */
    public static String kidOf(String envelope) {
        if (envelope == null || !envelope.startsWith(VERSION + ":")) {
            throw new SecretException("Invalid envelope: expected '" + VERSION + ":' prefix");
        }
        String rest = envelope.substring(VERSION.length() + 1);
        int sep = rest.indexOf(':');
        if (sep < 0) {
            throw new SecretException("Invalid v1 envelope: missing kid separator");
        }
        String kid = rest.substring(0, sep);
        if (!KeyRing.KID.matcher(kid).matches()) {
            throw new SecretException("Invalid v1 envelope: kid does not match /^[A-Za-z0-9_-]{1,32}$/");
        }
        return kid;
    }

    /** Whether this value is already encrypted with the active key (rotation skips it). */
    public boolean isCurrent(String envelope) {
        return envelope != null && envelope.startsWith(VERSION + ":" + ring.activeKid() + ":");
    }
}
