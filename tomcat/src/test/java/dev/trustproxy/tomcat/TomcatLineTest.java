package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

/**
 * Guards the build's two test runs: each surefire execution must really run on the Tomcat line
 * it claims (the 11 run swaps the 10.1 jars for the 11 ones), or every other test here proves
 * nothing about that line.
 */
class TomcatLineTest {

    @Test
    void theTestRunUsesTheTomcatLineTheBuildAsksFor() {
        String expected = System.getProperty("trustproxy.expectedTomcat");
        assertThat(expected).as("set by the surefire execution").isNotBlank();
        assertThat(ServerInfo.getServerNumber()).startsWith(expected + ".");
    }
}
