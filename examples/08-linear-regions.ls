# Lesson 8: counting linear regions
# writes: regions-digits2d.png
#
# Run it:  linscope run examples/08-linear-regions.ls
#
# A network of affine layers and ReLUs is piecewise linear: latent space
# is cut into regions, in each of which the decoder is exactly an affine
# map. Every ReLU that switches on or off crosses into a new region.
#
# The faces' decoder has 30720 ReLUs. Count how many switch when we add
# one and then two standard deviations of smile.
model faces
meandiff frown smile smile
row 1
region
alpha smile 1
region
alpha smile 2
region
#
# The small digits2d model has a 2-dimensional latent space, so we can
# draw its regions: every patch of one colour is one region, the line is
# the slider's path.
model digits2d
dir axis 0 x
dir axis 1 y
regionmap regions-digits2d.png
