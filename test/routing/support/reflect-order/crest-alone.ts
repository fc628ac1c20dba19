// crest's own polyfill only: the app never imports reflect-metadata.
import 'crest';
import './pets';
import { answer } from './controller';

void answer();
