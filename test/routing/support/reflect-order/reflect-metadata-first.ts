// reflect-metadata first, as class-transformer's README asks: crest installs nothing.
import 'reflect-metadata';
import 'crest';
import './pets';
import { answer } from './controller';

void answer();
