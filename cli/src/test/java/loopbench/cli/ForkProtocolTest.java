package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The lines a forked LoadRunner writes for its parent, as LoadRunner prints them. */
class ForkProtocolTest {
  @Test
  void eachEventParses() {
    assertEquals(new ForkProtocol.Capacity("mixed", "loop", 6120), ForkProtocol.parse("@@capacity mixed loop 6120"));
    assertEquals(new ForkProtocol.Start("mixed_loop_3060", "0.5", 3060), ForkProtocol.parse("@@start mixed_loop_3060 0.5 3060"));
    assertEquals(new ForkProtocol.Done("mixed_loop_3060", "5.61"), ForkProtocol.parse("@@done mixed_loop_3060 5.61"));
    assertEquals(new ForkProtocol.Fail("mixed", "loop", "0.9", "java.io.IOException: gone away"),
        ForkProtocol.parse("@@fail mixed loop 0.9 java.io.IOException: gone away"));
  }

  @Test
  void anOrdinaryOrGarbledLineIsNoEvent() {
    assertNull(ForkProtocol.parse("  capacity ~6,120 req/s"));
    assertNull(ForkProtocol.parse("@@start mixed_loop_3060 0.5 many"));
    assertNull(ForkProtocol.parse("@@capacity mixed"));
    assertNull(ForkProtocol.parse("@@something else"));
  }
}
