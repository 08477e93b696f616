package io.spillway.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.core.routing.Route;
import io.spillway.core.upload.UploadRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadRouteTest {

    @Test
    void of_readsRouteAndReasonFromTheUploadRecord() {
        UploadRecord record = new UploadRecord("0f", Route.Kind.STREAMED, "3.0 GiB > inMemoryThreshold 10 MiB", List.of());

        assertEquals(new UploadRoute("STREAMED", "3.0 GiB > inMemoryThreshold 10 MiB"), UploadRoute.of(record));
    }

    @Test
    void of_withoutFacts_isNone() {
        assertEquals(new UploadRoute("NONE", "the request carried no spillway facts"), UploadRoute.of(null));
    }

    @Test
    void of_somethingElse_isUnknownWithItsText() {
        assertEquals(new UploadRoute("UNKNOWN", "something else"), UploadRoute.of("something else"));
    }
}
