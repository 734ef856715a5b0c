package dev.appstrate.server.storage;

import dev.appstrate.server.config.S3Settings;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3-compatible bucket (AWS, MinIO, S3Proxy) through the AWS SDK v2 sync client. Only this class touches
 * the SDK, and it is loaded only when {@code S3_BUCKET} is set, so the default start-up never loads it.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private final S3Settings settings;
    private final S3Client s3;
    private final UploadStaging staging;

    /** {@code stagingRoot}: the data folder's {@code storage/}, where uploads are spooled before they are sent. */
    public S3BlobStore(S3Settings settings, Path stagingRoot) {
        this.settings = settings;
        this.staging = new UploadStaging(stagingRoot);
        AwsCredentialsProvider credentials = settings.accessKeyId() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.endpoint() != null) {
            // MinIO-like servers serve buckets as paths, not as virtual hosts
            builder.endpointOverride(URI.create(settings.endpoint())).forcePathStyle(true);
        }
        this.s3 = builder.build();
    }

    /** Fails fast at boot when the bucket is missing, the endpoint unreachable or the credentials refused. */
    public void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            String reason = switch (e.statusCode()) {
                case 404 -> "the bucket does not exist";
                case 401, 403 -> "access denied (credentials refused or not allowed on this bucket)";
                default -> "HTTP " + e.statusCode();
            };
            throw new StorageUnavailableException(settings, reason, e);
        } catch (SdkException e) {
            throw new StorageUnavailableException(settings, firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void put(String key, byte[] bytes) {
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failed("store", key, e);
        }
    }

    @Override
    public UploadStaging staging() {
        return staging;
    }

    @Override
    public void putFile(String key, Path file) {
        try {
            // the SDK reads the file as it sends it (its length is known up front): no copy of the bytes in memory
            s3.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failed("store", key, e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray();
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            // the SDK's response stream: read from the connection as the caller reads, released on close
            return s3.getObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
                keys.add(o.key());
            }
        } catch (SdkException e) {
            throw failed("list", prefix, e);
        }
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("delete", key, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        try {
            // DeleteObjects takes at most 1000 keys per call
            for (int i = 0; i < keys.size(); i += 1000) {
                List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                s3.deleteObjects(b -> b.bucket(settings.bucket()).delete(Delete.builder().objects(ids).quiet(true).build()));
            }
        } catch (SdkException e) {
            throw failed("delete", prefix, e);
        }
    }

    @Override
    public String describe() {
        return "s3 bucket=" + settings.bucket() + " endpoint=" + settings.endpointShown();
    }

    @Override
    public void close() {
        s3.close();
    }

    /** What a reader of the log needs: the operation, the object and the SDK's first line, never the credentials. */
    private UncheckedIOException failed(String operation, String key, SdkException e) {
        return new UncheckedIOException(new IOException("Cannot " + operation + " s3://" + settings.bucket() + "/" + key + ": "
                + firstLine(e.getMessage()), e));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
