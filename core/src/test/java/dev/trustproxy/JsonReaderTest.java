package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON reader of the range files (RFC 8259). */
class JsonReaderTest {

  @Test
  void objectsArraysAndStringsAreKeptWithTheirLines() {
    JsonReader.Value v = JsonReader.read("{\"a\": [1, -2.5e+3, true, false, null],\n"
        + " \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"}}");
    JsonReader.Obj root = (JsonReader.Obj) v;
    assertThat(root.members()).containsOnlyKeys("a", "b");
    assertThat(((JsonReader.Arr) root.members().get("a")).elements()).hasSize(5)
        .allMatch(e -> e instanceof JsonReader.Other);
    JsonReader.Obj b = (JsonReader.Obj) root.members().get("b");
    assertThat(b.line()).isEqualTo(2);
    JsonReader.Str c = (JsonReader.Str) b.members().get("c");
    assertThat(c.value()).isEqualTo("x\u00e9\ud83d\ude00\n\"\\/");
    assertThat(c.line()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "-0", "1.0", "1e5", "1E-5", "[]", "{}", "\"\"", " [ ] ",
    "[[[]]]", "{\"a\":{}}"})
  void validTextIsRead(String text) {
    assertThat(JsonReader.read(text)).isNotNull();
  }

  @ParameterizedTest(name = "[{index}] -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`` | expected a value",
        "`01` | text after the JSON value",
        "`1.` | after '.'",
        "`-` | expected a digit",
        "`1e` | exponent",
        "`[1,]` | expected a value",
        "`[1 2]` | expected ',' or ']'",
        "`{\"a\" 1}` | expected ':'",
        "`{\"a\":1,}` | member name",
        "`{a:1}` | member name",
        "`{\"a\":1,\"a\":2}` | repeated",
        "`\"abc` | end of file inside a string",
        "`\"\\x\"` | bad escape",
        "`\"\\u12g4\"` | bad \\u escape",
        "`\"\\ud800\"` | unpaired surrogate",
        "`\"\\udc00\"` | unpaired surrogate",
        "`tru` | expected true, false or null",
        "`[] []` | text after",
        "`'a'` | expected a value",
        "`NaN` | expected a value",
      })
  void malformedTextIsRefusedWithTheLine(String text, String expected) {
    assertThatThrownBy(() -> JsonReader.read(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1: malformed JSON: ")
        .hasMessageContaining(expected);
  }

  @Test
  void aControlCharacterInAStringIsRefused() {
    assertThatThrownBy(() -> JsonReader.read("\n\"a\tb\""))
        .hasMessage("line 2: malformed JSON: control character U+0009 in a string: expected it"
            + " escaped");
  }

  @Test
  void nestingIsBounded() {
    String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
    assertThatThrownBy(() -> JsonReader.read(deep)).hasMessageContaining("nesting deeper");
    String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(JsonReader.read(ok)).isInstanceOf(JsonReader.Arr.class);
  }
}
