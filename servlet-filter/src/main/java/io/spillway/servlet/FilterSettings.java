package io.spillway.servlet;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.routing.RoutingPolicy;

/**
 * One immutable configuration and the routing policy built from it: the filter swaps both in one
 * write (a JMX knob change), and a decision reads both at once.
 */
record FilterSettings(SpillwayConfig config, RoutingPolicy policy) {
}
