# Open MPI for gy.par (filled in by the scale-out work).
