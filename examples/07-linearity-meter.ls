# Lesson 7: the linearity meter, on the data and off it
# writes: on-data.png off-data.png linscope-0001.png linscope-0002.png
#
# Run it:  linscope run -m faces examples/07-linearity-meter.ls
#
# "Linear representation" needs the decoder to act nearly linearly where
# we move. The meter gives the homogeneity error (does a double step change
# the image twice as much? 0 is perfectly linear) and the first-order
# share (how much of one step's change the decoder's derivative predicts;
# 1 is perfectly linear). On the data, face 1: error about 0.4, share
# about 0.3. One sigma of smile is a big, curved move.
meandiff frown smile smile
row 1
where
linearity 1
snapshot
#
# Now push far along the direction, where no face of the bank lies.
# 'where' says we are off the data. Ask the class to guess the meter
# first: it says *more* linear (error about 0.1, share about 0.98).
# Far from the data every ReLU of the decoder has settled on or off, so it
# is one affine map out there, linear and meaningless: the pictures
# become caricatures. Linear is not the same as faithful.
range smile -12 12
alpha smile 10
where
linearity 1
snapshot
echo (linscope-0001.png is on the data, linscope-0002.png far off it)
#
# Strips over a small and a huge range show the same story in pictures.
range smile -2 2
reset smile
strip on-data.png 5
range smile -12 12
strip off-data.png 5
