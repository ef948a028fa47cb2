# Lesson 6: is a probe's accuracy impressive? Compare with baselines
# writes: baseline-random.png
#
# Run it:  linscope run -m faces examples/06-probe-baselines.ls
#
# A probe for "smile" reaches about 99% held-out accuracy. Is that the
# model having learned smiles, or would any direction do? Baselines that
# use no learning at all answer it.
probe frown smile probe
#
# Baseline 1: a random direction. The histogram shows frowns, neutral
# faces and smiles piled on top of each other along it. Its score is a
# warning: a random direction correlates with *something* (here hair
# lightness, r about 0.5), because every factor is spread over the
# latent space, but with smile it reaches only about 0.1.
random 7 rnd
hist rnd 8
score rnd
#
# Baseline 2: the largest principal component, found without labels: the
# direction along which the faces vary most. It is where the face sits in
# the picture (face_x), not anything about the face.
pca 1
score pca1
#
# The probe, scored the same way against the truth: smile first, about
# 0.89, and little else.
score probe
#
# A control: a probe trained for another concept (long hair) finds its
# own factor and has nothing to do with smile (r near 0).
labels faces-hair.txt
probe short long hair
score hair
#
# A face moved along the random direction: it changes, but not its smile.
row 1
select rnd
strip baseline-random.png 5
