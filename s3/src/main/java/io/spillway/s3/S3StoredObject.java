package io.spillway.s3;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.StoredObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A streamed part stored in the bucket, as the application's {@code Part} reads it: every
 * {@link #open()} is a {@code GET} of the whole object, {@link #copyTo} downloads it, and
 * {@link #delete()} removes it. Failures of the store surface as {@link UploadRejectedException}
 * 503, which is an {@link IOException}.
 */
final class S3StoredObject implements StoredObject {

    private static final System.Logger LOG = System.getLogger(S3StoredObject.class.getName());

    private final S3Client s3;
    private final String bucket;
    private final String key;

    S3StoredObject(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public InputStream open() throws IOException {
        ResponseInputStream<GetObjectResponse> response = S3Errors.call("reading a stored part",
                () -> s3.getObject(b -> b.bucket(bucket).key(key)));
        return new Translating(response);
    }

    @Override
    public void copyTo(Path target) throws IOException {
        try (InputStream in = open()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            TempStorage.deleteQuietly(target);
            throw e;
        }
    }

    @Override
    public void delete() {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete stored part " + location() + "; the sweeper "
                    + "removes it after " + S3SpillTarget.ORPHAN_AGE.toHours() + " h", e);
        }
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return location();
    }

    /** The object's bytes; a failure of the SDK mid-read becomes a 503 {@link UploadRejectedException}. */
    private static final class Translating extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private boolean ended;

        Translating(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            try {
                return ended(super.read());
            } catch (SdkException e) {
                throw S3Errors.translate("reading a stored part", e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return ended(super.read(b, off, len));
            } catch (SdkException e) {
                throw S3Errors.translate("reading a stored part", e);
            }
        }

        /** Closing before the end drops the connection rather than reading the rest of the object. */
        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            response.close();
        }

        private int ended(int result) {
            ended |= result < 0;
            return result;
        }
    }
}
