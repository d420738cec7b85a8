// The SF2 and MIDI writers and the default SoundFont generator live here.
