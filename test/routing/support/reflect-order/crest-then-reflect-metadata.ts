// crest first; the DTOs are decorated before reflect-metadata replaces crest's polyfill, the controller after.
import 'crest';
import './pets';
import 'reflect-metadata';
import { answer } from './controller';

void answer();
