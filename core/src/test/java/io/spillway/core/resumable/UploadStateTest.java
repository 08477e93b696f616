package io.spillway.core.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spillway.core.storage.UploadIds;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadStateTest {

    private static UploadState sample() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        return new UploadState(UploadIds.newId(), UploadState.TUS, 100,
                ByteRanges.of(List.of(new ByteRange(0, 10), new ByteRange(50, 60))), "a \"b\".txt", "file",
                "text/plain", "filename YS50eHQ=", "owner-digest", null, t, t.plusSeconds(1), t.plusSeconds(2), false, 7);
    }

    @Test
    void json_roundTrips() {
        UploadState state = sample();
        assertEquals(state, UploadState.fromJson(state.toJson()));
    }

    @Test
    void fromJson_refusesForeignOrBrokenDocuments() {
        String good = sample().toJson();
        for (String bad : List.of("{}", "[]", good.replace("\"format\":1", "\"format\":2"),
                good.replaceFirst("\"id\":\"[0-9a-f]{32}\"", "\"id\":\"../x\""),
                good.replace("\"total\":100", "\"total\":55"),
                good.replace("\"total\":100", "\"total\":-1"),
                good.replace("\"protocol\":\"tus\"", "\"protocol\":\"ftp\""),
                good.replace("\"complete\":false", "\"complete\":\"no\""),
                good.replace("[50,60]", "[60,50]"),
                good.replace("[50,60]", "[50]"))) {
            assertThrows(IllegalArgumentException.class, () -> UploadState.fromJson(bad), bad);
        }
    }

    @Test
    void offset_isTheContiguousPrefix() {
        assertEquals(10, sample().offset());
    }
}
