package io.spillway.core.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThroughputWindowTest {

    @Test
    void keepsSamplesAtLeastTheSpacingApart() {
        ThroughputWindow window = new ThroughputWindow(0, 100, 4);
        window.record(50, 5);
        window.record(100, 10);
        window.record(150, 15);
        window.record(200, 20);
        assertEquals(new ThroughputWindow.Sample(100, 10), window.at(199));
        assertEquals(new ThroughputWindow.Sample(200, 20), window.at(200));
        assertEquals(new ThroughputWindow.Sample(0, 0), window.at(99));
    }

    @Test
    void oldSamplesFallOut_andTheOldestKeptAnswersForEarlierMoments() {
        ThroughputWindow window = new ThroughputWindow(0, 10, 3);
        for (int t = 10; t <= 100; t += 10) {
            window.record(t, t * 2L);
        }
        assertEquals(new ThroughputWindow.Sample(80, 160), window.oldest());
        assertEquals(new ThroughputWindow.Sample(80, 160), window.at(5));
        assertEquals(new ThroughputWindow.Sample(90, 180), window.at(95));
    }

    @Test
    void restart_forgetsEverything() {
        ThroughputWindow window = new ThroughputWindow(0, 10, 3);
        window.record(10, 100);
        window.restart(1000, 500);
        assertEquals(new ThroughputWindow.Sample(1000, 500), window.at(0));
        assertEquals(new ThroughputWindow.Sample(1000, 500), window.oldest());
    }
}
