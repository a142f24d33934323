/* gyrus: atlas label files, the "index name [more]" text that ships beside an atlas
 * (MRIcron's aal.nii.txt, AICHAmc.nii.txt, JHU-...nii.txt): one label per line, the
 * integer index, white space, the name (one token); anything after the name is ignored.
 * Blank lines and lines starting with '#' are skipped. */
#ifndef GYRUS_IO_LABELS_H
#define GYRUS_IO_LABELS_H

#include <stddef.h>
#include <stdint.h>

typedef struct gy_labels gy_labels;

/* Parses n bytes of text; an index that is not a whole number in 0 .. 2^31 - 1, a line
 * without a name, or an index given twice is an error naming the line. */
int gy_labels_parse(gy_labels **out, const char *text, size_t n);
/* Reads and parses a file (at most 64 MB). */
int gy_labels_read(gy_labels **out, const char *path);
int64_t gy_labels_count(const gy_labels *l);
/* Entry k (0-based) in file order: its index and name (valid until gy_labels_free). */
int64_t gy_labels_index(const gy_labels *l, int64_t k);
const char *gy_labels_name(const gy_labels *l, int64_t k);
void gy_labels_free(gy_labels *l);

#endif
