/**
 * The starter's glue for Spring Boot 3.5: Boot's version-specific factory types only; what is
 * done to Tomcat and Jetty is {@code dev.trustproxy.spring.container}. Beans are built once at
 * start-up. No nulls.
 */
package dev.trustproxy.spring.boot3;
