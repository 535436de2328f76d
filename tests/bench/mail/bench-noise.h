/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint units;
  double cpu_median_ms;
  double cpu_p95_ms;
  double cpu_max_ms;
  guint cpu_over_16ms;
  double wall_median_ms;
  double wall_max_ms;
} BenchNoise;

void bench_noise_measure (guint units, BenchNoise *noise);

G_END_DECLS
