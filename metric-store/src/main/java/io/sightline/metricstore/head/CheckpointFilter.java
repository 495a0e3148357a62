package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.core.wal.Wal;
import io.sightline.core.wal.WalReader;
import io.sightline.metricstore.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads old WAL records and writes to a checkpoint the ones the head still needs: series still in the head, samples and
 * exemplars of those series from the truncation time on, the deletions of those series that reach past it, and the
 * latest metadata of each family. Records are
 * re-batched, a few thousand entries each, in the order they were read, so that replay sees series before samples.
 */
final class CheckpointFilter implements WalReader.RecordConsumer {
  private static final int BATCH = 4096;

  private final Wal out;
  private final IntFunction<MemSeries> live;
  private final long minTime;
  private final Map<String, String[]> metadata = new LinkedHashMap<>();
  private int[] seriesRefs = new int[BATCH];
  private Labels[] seriesLabels = new Labels[BATCH];
  private int seriesCount;
  private int[] sampleRefs = new int[BATCH];
  private long[] sampleTimes = new long[BATCH];
  private double[] sampleValues = new double[BATCH];
  private int sampleCount;
  private final List<Object[]> exemplars = new ArrayList<>();
  private int[] histogramRefs = new int[BATCH];
  private long[] histogramTimes = new long[BATCH];
  private final io.sightline.core.model.Histogram[] histograms = new io.sightline.core.model.Histogram[BATCH];
  private int histogramCount;
  private long totalSeries;
  private long totalSamples;
  private IOException failure;

  CheckpointFilter(Wal out, IntFunction<MemSeries> live, long minTime) {
    this.out = out;
    this.live = live;
    this.minTime = minTime;
  }

  @Override
  public void accept(int segment, byte[] record) throws IOException {
    WalRecords.decode(record, new WalRecords.Handler() {
      @Override
      public void series(int ref, Labels labels) {
        if (live.apply(ref) != null) {
          flushSamplesAndExemplars(); // keep series records ahead of the samples that follow them
          seriesRefs[seriesCount] = ref;
          seriesLabels[seriesCount++] = labels;
          totalSeries++;
          if (seriesCount == BATCH) {
            flushSeries();
          }
        }
      }

      @Override
      public void sample(int ref, long t, double v) {
        if (t >= minTime && live.apply(ref) != null) {
          flushSeries();
          flushHistograms(); // floats and histograms keep their order
          sampleRefs[sampleCount] = ref;
          sampleTimes[sampleCount] = t;
          sampleValues[sampleCount++] = v;
          totalSamples++;
          if (sampleCount == BATCH) {
            flushSamplesAndExemplars();
          }
        }
      }

      @Override
      public void histogram(int ref, long t, io.sightline.core.model.Histogram h) {
        if (t >= minTime && live.apply(ref) != null) {
          flushSeries();
          flushSamples(); // floats and histograms keep their order
          histogramRefs[histogramCount] = ref;
          histogramTimes[histogramCount] = t;
          histograms[histogramCount++] = h;
          totalSamples++;
          if (histogramCount == BATCH) {
            flushHistograms();
          }
        }
      }

      @Override
      public void exemplar(int ref, Labels labels, long t, double v) {
        if (t >= minTime && live.apply(ref) != null) {
          flushSeries();
          exemplars.add(new Object[] {ref, labels, t, v});
          if (exemplars.size() == BATCH) {
            flushSamplesAndExemplars();
          }
        }
      }

      @Override
      public void metadata(String name, String type, String help, String unit) {
        metadata.put(name, new String[] {type, help, unit});
      }

      @Override
      public void tombstone(int ref, long minT, long maxT) {
        if (maxT >= minTime && live.apply(ref) != null) {
          // Kept in order: it must delete again the samples logged before it, and no later ones.
          flushSeries();
          flushSamplesAndExemplars();
          write(WalRecords.tombstones(new int[] {ref}, new long[] {minT}, new long[] {maxT}, 1));
        }
      }
    });
    if (failure != null) {
      throw failure;
    }
  }

  /** Writes what is still batched. */
  void flush() throws IOException {
    flushSeries();
    flushSamplesAndExemplars();
    if (!metadata.isEmpty()) {
      out.append(WalRecords.metadata(metadata));
    }
    if (failure != null) {
      throw failure;
    }
  }

  long series() {
    return totalSeries;
  }

  long samples() {
    return totalSamples;
  }

  private void flushSeries() {
    if (seriesCount > 0) {
      write(WalRecords.series(seriesRefs, seriesLabels, seriesCount));
      Arrays.fill(seriesLabels, null);
      seriesCount = 0;
    }
  }

  private void flushHistograms() {
    if (histogramCount > 0) {
      write(WalRecords.histograms(histogramRefs, histogramTimes, histograms, 0, histogramCount));
      Arrays.fill(histograms, null);
      histogramCount = 0;
    }
  }

  private void flushSamples() {
    if (sampleCount > 0) {
      write(WalRecords.samples(sampleRefs, sampleTimes, sampleValues, sampleCount));
      sampleCount = 0;
    }
  }

  private void flushSamplesAndExemplars() {
    flushHistograms();
    flushSamples();
    if (!exemplars.isEmpty()) {
      int n = exemplars.size();
      int[] refs = new int[n];
      Labels[] labels = new Labels[n];
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        Object[] e = exemplars.get(i);
        refs[i] = (Integer) e[0];
        labels[i] = (Labels) e[1];
        ts[i] = (Long) e[2];
        vs[i] = (Double) e[3];
      }
      write(WalRecords.exemplars(refs, labels, ts, vs, n));
      exemplars.clear();
    }
  }

  private void write(byte[] record) {
    if (failure != null) {
      return;
    }
    try {
      out.append(record);
    } catch (IOException e) {
      failure = e;
    }
  }
}
