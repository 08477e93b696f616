package io.spillway.servlet;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/** A FilterConfig over a map, for init() tests that need no container. */
record SimpleFilterConfig(Map<String, String> params) implements FilterConfig {

    @Override
    public String getFilterName() {
        return "spillway";
    }

    @Override
    public ServletContext getServletContext() {
        return null;
    }

    @Override
    public String getInitParameter(String name) {
        return params.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
    }
}
