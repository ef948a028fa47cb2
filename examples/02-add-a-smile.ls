# Lesson 2: add a smile
# writes: smile-strip.png linscope-0001.png linscope-0002.png
#
# Run it:  linscope run -m faces examples/02-add-a-smile.ls
#
# The bank comes with labels: every face is "frown", "neutral" or "smile".
# The simplest direction for a concept is the difference of two averages:
# the mean latent of the smiling faces minus that of the frowning ones.
meandiff frown smile smile
#
# How good is it? The generator that drew the faces recorded the true
# amount of smile of every face. 'score' correlates how far each face lies
# along our direction with every true factor. The first line is the
# factor it moves; the others are what leaks into the direction.
score smile
#
# Start from face 1, labelled neutral, and slide along the
# direction from -3 to +3 standard deviations of the bank.
row 1
strip smile-strip.png 7
#
# The same face before and after two standard deviations more smile.
snapshot
alpha smile 2
snapshot
echo (the two snapshots are linscope-0001.png and linscope-0002.png)
