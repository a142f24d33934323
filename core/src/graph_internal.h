/* Checks shared by the graph module's files (graph.c, graph_paths.c, graph_louvain.c). */
#ifndef GYRUS_GRAPH_INTERNAL_H
#define GYRUS_GRAPH_INTERNAL_H

#include "internal.h"
#include "gyrus/graph.h"

/* W is a finite square matrix; with symmetric, |W - W'| < 1e-10 everywhere (BCT's test). */
int gy_graph_check(const gy_mat *W, int symmetric);
/* No negative entry: lengths and efficiencies have no meaning for them. */
int gy_graph_check_nonneg(const gy_mat *W);

#endif
