/**
 * The container wiring shared by the Boot 3 and Boot 4 glue: what is done to Tomcat and to
 * Jetty, written once; the glue only adds Boot's version-specific factory types. Not for
 * applications. Stateless; called once per web server, before it starts. No null arguments
 * unless documented.
 */
package dev.trustproxy.spring.container;
