package io.spillway.core.upload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryAllowanceTest {

    @Test
    void tryTake_withinTheAllowance_succeeds() {
        MemoryAllowance allowance = new MemoryAllowance(100);
        assertTrue(allowance.tryTake(60));
        assertTrue(allowance.tryTake(40));
        assertFalse(allowance.tryTake(1));
    }

    @Test
    void tryTake_zeroAllowance_refusesAnyByte() {
        MemoryAllowance allowance = new MemoryAllowance(0);
        assertTrue(allowance.tryTake(0));
        assertFalse(allowance.tryTake(1));
    }

    @Test
    void tryTake_afterARefusal_refusesEvenWhatWouldHaveFit() {
        MemoryAllowance allowance = new MemoryAllowance(100);
        assertFalse(allowance.tryTake(101));
        assertFalse(allowance.tryTake(1));
    }
}
