package io.spillway.spring.boot;

import io.spillway.micrometer.SpillwayMetrics;
import io.spillway.servlet.MemoryAwareUploadFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers Spillway's filter in a Spring Boot servlet application, as the web-fragment does in a
 * WAR: on {@code /upload} and {@code /upload/*} ({@code spillway.url-patterns} changes that),
 * configured by {@code spillway.*} properties ({@link SpillwaySettings}). Off with
 * {@code spillway.enabled=false}.
 *
 * <p>Spring's multipart resolver stays: on Spillway's paths the request Spring sees is Spillway's
 * wrapper, whose {@code getParts()} answers the parts Spillway already received (in memory or on
 * disk), so a {@code MultipartFile} or {@code @RequestPart} argument gets them and the body is
 * parsed once. With Actuator, a {@code spillway} health contributor; with Micrometer (always on
 * the classpath with this starter), {@link SpillwayMetrics}, which Boot binds to its registry.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({MemoryAwareUploadFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(prefix = SpillwaySettings.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
public class SpillwayAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(SpillwayAutoConfiguration.class);

    /** The filter; declare your own bean to inject a memory probe or a clock. */
    @Bean
    @ConditionalOnMissingBean
    public MemoryAwareUploadFilter spillwayUploadFilter() {
        return new MemoryAwareUploadFilter();
    }

    /** Maps the filter with the validated {@code spillway.*} settings as its init-params. */
    @Bean
    public FilterRegistrationBean<MemoryAwareUploadFilter> spillwayUploadFilterRegistration(
            MemoryAwareUploadFilter filter, Environment environment) {
        SpillwaySettings settings = SpillwaySettings.from(environment);
        FilterRegistrationBean<MemoryAwareUploadFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("spillway");
        registration.setInitParameters(settings.initParameters());
        registration.setUrlPatterns(settings.urlPatterns());
        registration.setAsyncSupported(true);
        LOG.info(settings.describe());
        return registration;
    }

    /** The filter's figures for Micrometer; Boot binds every {@code MeterBinder} bean to its registry. */
    @Bean
    @ConditionalOnMissingBean
    public SpillwayMetrics spillwayMetrics(MemoryAwareUploadFilter filter) {
        return new SpillwayMetrics(() -> filter.isRunning() ? filter.monitor() : null);
    }

    /** The {@code spillway} health contributor, when Actuator's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class SpillwayHealthConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator("spillway")
        SpillwayHealthIndicator spillwayHealthIndicator(MemoryAwareUploadFilter filter) {
            return new SpillwayHealthIndicator(filter);
        }
    }
}
