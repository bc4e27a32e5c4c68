package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Set-Cookie lines are the session cookie's, and which already carry Secure. */
class SessionCookiesTest {

  @ParameterizedTest(name = "[{0}] is {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "JSESSIONID=abc; Path=/|JSESSIONID|true",
      "JSESSIONID=|JSESSIONID|true",
      "JSESSIONIDX=abc; Path=/|JSESSIONID|false",
      "XJSESSIONID=abc|JSESSIONID|false",
      "JSESSIONID|JSESSIONID|false",
      "other=JSESSIONID=abc|JSESSIONID|false",
      "SID=1|SID|true"})
  void theSessionCookieIsTheLineThatStartsWithItsName(String line, String name,
      boolean expected) {
    assertThat(SessionCookies.isCookie(line, name)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}]: {1}")
  @CsvSource(delimiter = '|', value = {
      "JSESSIONID=abc; Path=/|false",
      "JSESSIONID=abc; Path=/; Secure|true",
      "JSESSIONID=abc; secure; HttpOnly|true",
      "JSESSIONID=abc;Secure|true",
      "JSESSIONID=abc; SECURE=yes|true",
      "JSESSIONID=abc; Path=/Secure|false",
      "JSESSIONID=Secure; Path=/|false",
      "JSESSIONID=abc; SecureX|false",
      "JSESSIONID=abc; Comment=Secure|false"})
  void secureIsAnAttributeName(String line, boolean expected) {
    assertThat(SessionCookies.hasSecure(line)).isEqualTo(expected);
  }
}
