package io.spillway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class UploadRejectedExceptionTest {

    @Test
    void carriesStatusAndReason() {
        UploadRejectedException e = new UploadRejectedException(415, "not multipart");
        assertEquals(415, e.status());
        assertEquals("not multipart", e.reason());
        assertEquals("not multipart", e.getMessage());
    }

    @Test
    void carriesItsCause() {
        IOException cause = new IOException("reset");
        UploadRejectedException e = new UploadRejectedException(400, "truncated body", cause);
        assertSame(cause, e.getCause());
        assertEquals(400, e.status());
    }

    @Test
    void badRequest_is400() {
        UploadRejectedException e = UploadRejectedException.badRequest("missing boundary");
        assertEquals(400, e.status());
        assertEquals("missing boundary", e.reason());
    }

    @Test
    void tooLarge_is413() {
        UploadRejectedException e = UploadRejectedException.tooLarge("more than 50 parts");
        assertEquals(413, e.status());
        assertEquals("more than 50 parts", e.reason());
    }

    @Test
    void isAnIOExceptionSoItCanLeaveStreamCode() {
        assertEquals(IOException.class, UploadRejectedException.class.getSuperclass());
    }
}
