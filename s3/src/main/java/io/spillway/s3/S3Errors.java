package io.spillway.s3;

import io.spillway.core.UploadRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the object store or the SDK throws into an answer a client can act on: every failure
 * of the store is a {@link UploadRejectedException} with 503 (retry later) or 507 (no room), with a
 * short reason and never the store's own message, which may name keys and hosts.
 */
final class S3Errors {

    private S3Errors() {
    }

    /** A call to the store. */
    interface Call<T> {
        T run() throws IOException;
    }

    /** Runs a call and translates what it throws. */
    static <T> T call(String what, Call<T> call) throws UploadRejectedException {
        try {
            return call.run();
        } catch (UploadRejectedException e) {
            throw e;
        } catch (SdkException e) {
            throw translate(what, e);
        } catch (UncheckedIOException e) {
            throw new UploadRejectedException(503, "object store unavailable while " + what, e);
        } catch (IOException e) {
            throw new UploadRejectedException(503, "object store unavailable while " + what, e);
        }
    }

    /** The rejection for one SDK failure. */
    static UploadRejectedException translate(String what, SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (status == 503 || status == 429 || "SlowDown".equals(code) || service.isThrottlingException()) {
                return new UploadRejectedException(503, "object store is throttling requests while " + what
                        + "; retry later", e);
            }
            if (status == 403) {
                return new UploadRejectedException(503, "object store denied access while " + what
                        + " (check the credentials and the bucket policy)", e);
            }
            if ("NoSuchBucket".equals(code)) {
                return new UploadRejectedException(503, "object store bucket does not exist", e);
            }
            if ("QuotaExceeded".equals(code) || "InsufficientStorage".equals(code) || status == 507) {
                return new UploadRejectedException(507, "object store is full while " + what, e);
            }
            return new UploadRejectedException(503, "object store failed while " + what + " (status " + status
                    + (code == null ? "" : ", " + code) + ")", e);
        }
        if (e instanceof SdkClientException && e.getCause() instanceof UploadRejectedException rejected) {
            return rejected;
        }
        return new UploadRejectedException(503, "object store unavailable while " + what, e);
    }

    /** Whether the store answered that the key or upload does not exist. */
    static boolean isMissing(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() == 404 || "NoSuchKey".equals(code) || "NoSuchUpload".equals(code);
        }
        return false;
    }

    /** Whether the store refused a conditional write ({@code If-Match}, {@code If-None-Match}). */
    static boolean isPreconditionFailed(SdkException e) {
        return e instanceof AwsServiceException service
                && (service.statusCode() == 412 || service.statusCode() == 409);
    }
}
