package io.portcullis.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws latest.png with java.awt (headless): one group of horizontal bars per workload, Distribution and
 * Portcullis (and nginx where it is the ceiling). Units differ between workloads, so each group's bars
 * are scaled to the largest value in that group; the numbers printed on the bars are absolute, and the
 * ratio is printed at the right.
 */
final class BarChart {
  private static final Color DISTRIBUTION = new Color(0x4C78A8);
  private static final Color PORTCULLIS = new Color(0xF58518);
  private static final Color NGINX = new Color(0x54A24B);
  private static final int WIDTH = 1400;
  private static final int LABEL = 330;
  private static final int RATIO = 110;
  private static final int BAR = 14;
  private static final int GAP = 12;

  private BarChart() {}

  static void write(Path file, List<Report.Summary> summaries, String mode, Instant when) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = 110;
    for (Report.Summary s : summaries) {
      height += BAR * (s.ceiling() != null ? 3 : 2) + GAP;
    }
    BufferedImage image = new BufferedImage(WIDTH, height + 20, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height + 20);

    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("Portcullis vs CNCF Distribution (" + mode + " run, " + when.truncatedTo(ChronoUnit.MINUTES) + ")", 20, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("Throughput, median over rounds. Bars in each group are scaled to that group's largest value; "
        + "numbers are absolute. Ratio = Portcullis / Distribution (gate: on / off).", 20, 50);
    int lx = 20;
    for (Object[] legend : new Object[][] {{"Distribution", DISTRIBUTION}, {"Portcullis", PORTCULLIS}, {"nginx (ceiling for blob GET)", NGINX}}) {
      g.setColor((Color) legend[1]);
      g.fillRect(lx, 62, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString((String) legend[0], lx + 20, 74);
      lx += 40 + g.getFontMetrics().stringWidth((String) legend[0]);
    }

    int y = 95;
    int barMax = WIDTH - LABEL - RATIO - 90;
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    for (Report.Summary s : summaries) {
      Report.Stats[] stats = s.ceiling() != null
          ? new Report.Stats[] {s.baseline(), s.subject(), s.ceiling()}
          : new Report.Stats[] {s.baseline(), s.subject()};
      Color[] colors = {DISTRIBUTION, PORTCULLIS, NGINX};
      double max = 0;
      for (Report.Stats st : stats) {
        if (st != null && !Double.isNaN(st.throughput())) {
          max = Math.max(max, st.throughput());
        }
      }
      int groupHeight = BAR * stats.length;
      g.setColor(Color.BLACK);
      g.setFont(label);
      FontMetrics fm = g.getFontMetrics();
      String name = Report.gateWorkload(s.workload()) ? s.workload() + ": gate off / on" : s.workload();
      g.drawString(name + " (" + s.unit() + ")", 20, y + groupHeight / 2 + fm.getAscent() / 2 - 2);
      for (int i = 0; i < stats.length; i++) {
        Report.Stats st = stats[i];
        int by = y + i * BAR;
        if (st == null) {
          continue;
        }
        int w = max > 0 ? (int) Math.round(barMax * st.throughput() / max) : 0;
        g.setColor(colors[i]);
        g.fillRect(LABEL, by + 1, Math.max(w, 1), BAR - 2);
        g.setColor(Color.DARK_GRAY);
        g.setFont(small);
        g.drawString(Report.num(st.throughput()), LABEL + w + 5, by + BAR - 3);
      }
      if (!Double.isNaN(s.ratio())) {
        double goal = Report.ratioGoal(s.workload());
        g.setColor(Double.isNaN(goal) ? Color.DARK_GRAY : s.ratio() < goal ? new Color(0xC0392B) : new Color(0x1E8449));
        g.setFont(label);
        g.drawString(String.format(Locale.ROOT, "%.2f", s.ratio()), WIDTH - RATIO + 20, y + groupHeight / 2 + 5);
      }
      g.setColor(new Color(0xDDDDDD));
      g.setStroke(new BasicStroke(1));
      g.drawLine(20, y + groupHeight + GAP / 2, WIDTH - 20, y + groupHeight + GAP / 2);
      y += groupHeight + GAP;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
