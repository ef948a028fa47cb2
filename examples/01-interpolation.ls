# Lesson 1: walking from one face to another (lerp against slerp)
# writes: lerp.png slerp.png
#
# Run it:  linscope run -m faces examples/01-interpolation.ls
#
# Every face the model can draw is a point in a 32-dimensional latent
# space. Row 0 of the bank is a frowning boy with short blue hair; row 5 a
# frowning face with clear glasses. To morph one into the other we walk
# from one point to the other and decode the faces on the way.
#
# The straight line (lerp) is the obvious walk. The number under each face
# is its distance from the origin, |z|. Watch it dip in the middle: in a
# 32-dimensional Gaussian almost every face lies near a sphere of radius
# about sqrt(32) = 5.7, so the middle of a straight line cuts inside that
# shell, where the model saw few faces.
interp 0 5 lerp.png 7 lerp
#
# Slerp walks along the great circle instead, letting the norm change
# evenly from one end to the other: the middle faces stay on the shell.
interp 0 5 slerp.png 7 slerp
#
# Ask the class: do the middle faces of the two pictures look different?
# With this small model they look alike: the dip is only about a tenth
# (4.42 against 4.94 for the slerp); in bigger models, and with faces
# further apart, the lerp's middle turns grey and blurred.
