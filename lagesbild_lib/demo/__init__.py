"""The synthetic demo data set (Demodata – syntetiska uppgifter): its geography, its generator and
the folder it is kept in."""
