/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-noise.c: how steady the machine is, as a yardstick for frame times.
 *
 * The same fixed piece of work (about 6 ms of arithmetic and memory reads, the median
 * frame of the scroll step) is done UNITS times, one unit per 10 ms as a frame would
 * be, and timed in wall time and in the thread's own CPU time. Such a unit never does
 * more work, so every unit above its median says what the machine (other processes,
 * and on a virtual machine the host, which a guest's CPU clock cannot tell apart from
 * its own work) adds to a frame's time at that moment. */
#define G_LOG_DOMAIN "kontor-bench"

#include <string.h>
#include <time.h>

#include "bench-noise.h"

#define UNIT_MS      6.0
#define BUFFER_BYTES (4 << 20)

static double
clock_ms (clockid_t clock)
{
  struct timespec now;

  clock_gettime (clock, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* Volatile, so the compiler keeps every step of the work. */
static volatile guint64 sink;

static void
work (guint8 *buffer, guint64 steps)
{
  guint64 acc = sink;

  for (guint64 k = 0; k < steps; k++)
    {
      acc += buffer[(k * 4099) % BUFFER_BYTES] * k;
      buffer[(k * 131) % BUFFER_BYTES] ^= (guint8) acc;
    }
  sink = acc;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted, guint percent)
{
  guint rank = (sorted->len * percent + 99) / 100; /* nearest rank, from 1 */

  return g_array_index (sorted, double, rank > 0 ? rank - 1 : 0);
}

/* The steps that take UNIT_MS of CPU time: the quickest of a few tries, so that a
 * disturbed try does not make the unit smaller. */
static guint64
calibrate (guint8 *buffer)
{
  guint64 steps = 100000;
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < 5; i++)
    {
      double start = clock_ms (CLOCK_THREAD_CPUTIME_ID);

      work (buffer, steps);
      best = MIN (best, clock_ms (CLOCK_THREAD_CPUTIME_ID) - start);
    }
  return best > 0 ? (guint64) (steps * UNIT_MS / best) : steps;
}

void
bench_noise_measure (guint units, BenchNoise *noise)
{
  g_autofree guint8 *buffer = g_malloc (BUFFER_BYTES);
  g_autoptr (GArray) cpu = g_array_sized_new (FALSE, FALSE, sizeof (double), units);
  g_autoptr (GArray) wall = g_array_sized_new (FALSE, FALSE, sizeof (double), units);
  guint64 steps;

  memset (noise, 0, sizeof *noise);
  if (units == 0)
    return;
  memset (buffer, 1, BUFFER_BYTES);
  steps = calibrate (buffer);
  for (guint i = 0; i < units; i++)
    {
      double wall_start = clock_ms (CLOCK_MONOTONIC);
      double cpu_start = clock_ms (CLOCK_THREAD_CPUTIME_ID);
      double cpu_ms, wall_ms;

      work (buffer, steps);
      cpu_ms = clock_ms (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      wall_ms = clock_ms (CLOCK_MONOTONIC) - wall_start;
      g_array_append_val (cpu, cpu_ms);
      g_array_append_val (wall, wall_ms);
      if (cpu_ms >= 16.0)
        noise->cpu_over_16ms++;
      g_usleep (10000);
    }
  g_array_sort (cpu, compare_doubles);
  g_array_sort (wall, compare_doubles);
  noise->units = units;
  noise->cpu_median_ms = percentile (cpu, 50);
  noise->cpu_p95_ms = percentile (cpu, 95);
  noise->cpu_max_ms = g_array_index (cpu, double, units - 1);
  noise->wall_median_ms = percentile (wall, 50);
  noise->wall_max_ms = g_array_index (wall, double, units - 1);
}
