// Loaded with the other registrations: validates the settings at start-up so a bad one fails fast, by name.
import { settings } from "../shared/config";

settings();
